/**
 * cty numbers, exactly. cty keeps numbers as arbitrary-precision decimals (go-cty
 * `cty/primitive_type.go`); a JS double would silently change `12345678901234567890` and make
 * Terraform reject the plan ("planned value … does not match config value"). A CtyNumber is
 * `mantissa × 10^exponent` with a bigint mantissa, normalized so equal numbers compare equal.
 *
 * @module
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^([+-]?)(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export class CtyNumber {
  private constructor(
    /** Normalized: not divisible by 10 unless zero; zero has exponent 0. */
    readonly mantissa: bigint,
    readonly exponent: number,
    /** +1 / -1 for the infinities cty allows, 0 for finite numbers. */
    readonly infinity: -1 | 0 | 1 = 0,
  ) {}

  static readonly POSITIVE_INFINITY = new CtyNumber(0n, 0, 1);
  static readonly NEGATIVE_INFINITY = new CtyNumber(0n, 0, -1);

  private static make(mantissa: bigint, exponent: number): CtyNumber {
    if (mantissa === 0n) return new CtyNumber(0n, 0);
    let m = mantissa;
    let e = exponent;
    while (m % 10n === 0n) {
      m /= 10n;
      e++;
    }
    return new CtyNumber(m, e);
  }

  /** Parses a decimal string (`"-1.50"`, `"1e300"`); `undefined` when it is not a number. */
  static parse(text: string): CtyNumber | undefined {
    const m = DECIMAL.exec(text.trim());
    if (m === null || (m[2] === undefined && (m[3] === undefined || m[3] === ''))) return undefined;
    const frac = m[3] ?? '';
    const exp = m[4] === undefined ? 0 : Number(m[4]);
    if (!Number.isSafeInteger(exp)) return undefined;
    const digits = BigInt(`${m[2] ?? '0'}${frac}`);
    return CtyNumber.make(m[1] === '-' ? -digits : digits, exp - frac.length);
  }

  static fromBigInt(value: bigint): CtyNumber {
    return CtyNumber.make(value, 0);
  }

  /** The exact value of a double (not its shortest rendering): 2^70 stays 1180591620717411303424. */
  static fromDouble(value: number): CtyNumber {
    if (value === Infinity) return CtyNumber.POSITIVE_INFINITY;
    if (value === -Infinity) return CtyNumber.NEGATIVE_INFINITY;
    if (Number.isNaN(value)) throw new RangeError('NaN is not a cty number');
    if (Number.isSafeInteger(value)) return CtyNumber.make(BigInt(value), 0);
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    const negative = hi >>> 31 === 1;
    const biased = (hi >>> 20) & 0x7ff;
    let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let exp2: number;
    if (biased === 0) {
      exp2 = -1074; // subnormal
    } else {
      mant |= 1n << 52n;
      exp2 = biased - 1075;
    }
    const signed = negative ? -mant : mant;
    // mant × 2^exp2 = mant × 5^-exp2 × 10^exp2 for negative exponents.
    return exp2 >= 0
      ? CtyNumber.make(signed << BigInt(exp2), 0)
      : CtyNumber.make(signed * 5n ** BigInt(-exp2), exp2);
  }

  static of(value: number | bigint | string): CtyNumber {
    if (typeof value === 'number') return CtyNumber.fromDouble(value);
    if (typeof value === 'bigint') return CtyNumber.fromBigInt(value);
    const parsed = CtyNumber.parse(value);
    if (parsed === undefined) throw new RangeError(`'${value}' is not a decimal number`);
    return parsed;
  }

  isInteger(): boolean {
    return this.infinity === 0 && this.exponent >= 0;
  }

  /** The integer value, when the number is one. */
  toBigInt(): bigint | undefined {
    return this.isInteger() ? this.mantissa * 10n ** BigInt(this.exponent) : undefined;
  }

  /** The nearest double (lossy past 2^53 or for most fractions): for display and arithmetic. */
  toNumber(): number {
    if (this.infinity !== 0) return this.infinity * Infinity;
    return Number(this.toString());
  }

  equals(other: CtyNumber): boolean {
    return (
      this.infinity === other.infinity &&
      this.mantissa === other.mantissa &&
      this.exponent === other.exponent
    );
  }

  compare(other: CtyNumber): -1 | 0 | 1 {
    if (this.infinity !== 0 || other.infinity !== 0) {
      const a = this.infinity;
      const b = other.infinity;
      if (a === b) return 0;
      if (a !== 0) return a;
      return (-b || 0) as -1 | 1;
    }
    const e = Math.min(this.exponent, other.exponent);
    const a = this.mantissa * 10n ** BigInt(this.exponent - e);
    const b = other.mantissa * 10n ** BigInt(other.exponent - e);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Plain decimal notation, no exponent (what cty writes: big.Float `Text('f', -1)`). */
  toString(): string {
    if (this.infinity !== 0) return this.infinity > 0 ? 'Infinity' : '-Infinity';
    const negative = this.mantissa < 0n;
    const digits = (negative ? -this.mantissa : this.mantissa).toString();
    let out: string;
    if (this.exponent >= 0) {
      out = digits + '0'.repeat(this.exponent);
    } else {
      const point = digits.length + this.exponent;
      out =
        point > 0
          ? `${digits.slice(0, point)}.${digits.slice(point)}`
          : `0.${'0'.repeat(-point)}${digits}`;
    }
    return negative ? `-${out}` : out;
  }

  toJSON(): string {
    return this.toString();
  }

  /**
   * The msgpack form Terraform itself writes (observed with Terraform 1.11.4, see
   * test/vectors): an integer when it fits int64, the decimal string for larger integers (2^70
   * arrives as a string although a double holds it exactly), a float64 for a fraction the
   * double represents exactly (1.5), else the decimal string (0.1).
   */
  toWire(): number | bigint | string {
    if (this.infinity !== 0) return this.infinity * Infinity;
    const int = this.toBigInt();
    if (int !== undefined) {
      if (int < INT64_MIN || int > INT64_MAX) return this.toString();
      return Number.isSafeInteger(Number(int)) ? Number(int) : int;
    }
    const double = Number(this.toString());
    if (Number.isFinite(double) && CtyNumber.fromDouble(double).equals(this)) return double;
    return this.toString();
  }
}
