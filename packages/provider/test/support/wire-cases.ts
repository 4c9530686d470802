/**
 * The configurations whose msgpack encoding by Terraform 1.11.4 is kept in
 * test/vectors/terraform-1.11.4.json (captured by test/e2e/wire-vectors.test.ts from a real
 * `terraform plan`, never produced by our own encoder).
 */
export const WIRE_CASES: Readonly<Record<string, string>> = {
  int: 'n = 42',
  negative: 'n = -7',
  float: 'n = 1.5',
  decimal: 'n = 0.1',
  big_int: 'n = 12345678901234567890',
  past_2_53: 'n = 9007199254740993',
  huge: 'n = 1e300',
  two_pow_70: 'n = 1180591620717411303424',
  string_nfc: 's = "he\\u0301llo"',
  bool: 'b = true',
  list: 'l = [1, 2.5, 3]',
  set: 'st = ["b", "a"]',
  map: 'm = { k = "v", a = "z" }',
  object: 'o = { a = "x", b = 2 }',
  tuple: 't = ["x", true]',
  dynamic_object: 'd = { k = [1, "two"] }',
  dynamic_string: 'd = "str"',
  blocks: 'blk {\n    x = "one"\n  }\n  blk {}',
  unknown: 's = terraform_data.x.id',
  unknown_prefix: 's = "beta-${terraform_data.x.id}"',
  unknown_in_list: 'l = [1, length(terraform_data.x.id)]',
  unknown_dynamic: 'd = terraform_data.x.output',
};

export function wireConfig(): string {
  return [
    'terraform {',
    '  required_providers {',
    '    keyplane = { source = "keyplane/keyplane" }',
    '  }',
    '}',
    '',
    'resource "terraform_data" "x" {',
    '  input = "v"',
    '}',
    '',
    ...Object.entries(WIRE_CASES).map(
      ([name, body]) => `resource "keyplane_echo" "${name}" {\n  ${body}\n}\n`,
    ),
  ].join('\n');
}
