/**
 * Exact cty numbers: parsing, the exact value of doubles (checked against BigInt arithmetic on
 * the IEEE-754 bits the engine never sees), ordering, and the wire form Terraform uses.
 */
import { CtyNumber } from 'terraform-provider-keyplane';

it('parses decimal and exponent notation into one canonical value', () => {
  expect(CtyNumber.of('1.50').toString()).toBe('1.5');
  expect(CtyNumber.of('-0').toString()).toBe('0');
  expect(CtyNumber.of('1e3').equals(CtyNumber.of('1000'))).toBe(true);
  expect(CtyNumber.of('12.5e-3').toString()).toBe('0.0125');
  expect(CtyNumber.of('-4.2E+2').toString()).toBe('-420');
  expect(CtyNumber.parse('1.2.3')).toBeUndefined();
  expect(CtyNumber.parse('')).toBeUndefined();
  expect(CtyNumber.parse('abc')).toBeUndefined();
});

it('keeps integers past 2^53 and long fractions exactly', () => {
  const big = CtyNumber.of('12345678901234567890123');
  expect(big.toBigInt()).toBe(12345678901234567890123n);
  expect(CtyNumber.of('0.1000000000000000000001').equals(CtyNumber.of('0.1'))).toBe(false);
});

it('takes the exact value of a double, not its shortest rendering', () => {
  expect(CtyNumber.fromDouble(2 ** 70).toString()).toBe('1180591620717411303424');
  expect(CtyNumber.fromDouble(0.1).toString()).toBe(
    '0.1000000000000000055511151231257827021181583404541015625',
  );
  expect(CtyNumber.fromDouble(-1.5).toString()).toBe('-1.5');
  expect(CtyNumber.fromDouble(5e-324).toString()).toMatch(
    /^0\.0{323}49406564584124654417656879286822137236505980/,
  );
  expect(CtyNumber.fromDouble(Infinity)).toBe(CtyNumber.POSITIVE_INFINITY);
  expect(() => CtyNumber.fromDouble(NaN)).toThrow('NaN is not a cty number');
});

it('orders numbers', () => {
  expect(CtyNumber.of('0.5').compare(CtyNumber.of('0.25'))).toBe(1);
  expect(CtyNumber.of('-3').compare(CtyNumber.of('2'))).toBe(-1);
  expect(CtyNumber.of('1.0').compare(CtyNumber.of('1'))).toBe(0);
  expect(CtyNumber.NEGATIVE_INFINITY.compare(CtyNumber.of('-1e999'))).toBe(-1);
});

it('chooses the wire form Terraform uses', () => {
  expect(CtyNumber.of('42').toWire()).toBe(42);
  expect(CtyNumber.of('9007199254740993').toWire()).toBe(9007199254740993n);
  expect(CtyNumber.of('12345678901234567890').toWire()).toBe('12345678901234567890');
  expect(CtyNumber.of('1.5').toWire()).toBe(1.5);
  expect(CtyNumber.of('0.1').toWire()).toBe('0.1');
});
