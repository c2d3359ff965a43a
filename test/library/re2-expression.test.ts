import { checkRe2Expression, checkRegularExpressionIn } from 'k8s-iac';

// every verdict below is Go's regexp.Compile (RE2 syntax); scripts/header-pattern-agreement.js holds the same against generated patterns
describe('RE2 regular expressions', () => {
  test('patterns RE2 compiles pass: flags, named groups, POSIX and Unicode classes, quoting, counts up to 1000', () => {
    for (const pattern of [
      ...['^gray-.*', '^(test|prod)-[0-9]+$', '(?P<build>\\d+)-(?<n>x)', '(?i)^gray(?-i:X)', '(?s-m:.)+', '[[:alpha:][:^digit:]]+'],
      ...['[]a]\\pL\\p{Greek}\\PN', '\\Qa.b(\\E*', 'x{2,5}?\\x{41}\\x41\\101\\0', '^*a', '\\z\\A\\b\\B', 'a{1000}', '(a{10}){100}', 'a{,3}', 'a*(?i)*'],
    ]) {
      expect(checkRe2Expression(pattern, 'canary headerPattern')).toBeUndefined();
    }
  });

  test('what RE2 cannot run is refused with its parser reason and the fix', () => {
    for (const [pattern, reason, fix] of [
      ['a(?=b)', 'invalid or unsupported Perl syntax: `(?=`', /no look-arounds/],
      ['a(?<=b)', 'invalid or unsupported Perl syntax: `(?<=`', /no look-arounds/],
      ['(?>ab)', 'invalid or unsupported Perl syntax: `(?>`', /atomic groups/],
      ['(?#note)x', 'invalid or unsupported Perl syntax: `(?#`', /PCRE-only syntax/],
      ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`', /back references/],
      ['(a)\\1', 'invalid escape sequence: `\\1`', /no back references/],
      ['(?<n>a)\\k<n>', 'invalid escape sequence: `\\k`', /no back references/],
      ['\\Z', 'invalid escape sequence: `\\Z`', /knows the escapes/],
      ['[a-\\d]', 'invalid escape sequence: `\\d`', /knows the escapes/],
      ['a*+', 'invalid nested repetition operator: `*+`', /no possessive ones/],
      ['(a|b){10}{100}', 'invalid nested repetition operator: `{10}{100}`', /group the item/],
      ['a{1001}', 'invalid repeat count: `{1001}`', /at most 1000 copies/],
      ['(a{100}){11}', 'invalid repeat count: `{11}`', /nested counts multiplied/],
      ['(?<n-1>x)', 'invalid named capture: `(?<n-1>`', /letters, digits and _/],
      ['[z-a]', 'invalid character class range: `z-a`', /write \\ before each of/],
      ['[[:foo:]]', 'invalid character class range: `[:foo:]`', /write \\ before each of/],
      ['(a', 'missing closing ): `(a`', /write \\ before each of/],
      ['a)', 'unexpected ): `a)`', /write \\ before each of/],
      ['[a', 'missing closing ]: `[a`', /write \\ before each of/],
      ['a\\', 'trailing backslash at end of expression', /write \\ before each of/],
      ['*a', 'missing argument to repetition operator: `*`', /write \\ before each of/],
    ] as const) {
      const problem = checkRe2Expression(pattern, 'canary headerPattern');
      expect(problem).toContain(`canary headerPattern ${JSON.stringify(pattern)} is not an RE2 regular expression (${reason}): `);
      expect(problem).toMatch(fix);
    }
  });

  test('in several dialects, the first dialect that refuses the pattern answers, once', () => {
    expect(checkRegularExpressionIn('a(?=b)', 'p', ['PCRE'])).toBeUndefined();
    expect(checkRegularExpressionIn('a(?=b)', 'p', ['PCRE', 'RE2'])).toMatch(/is not an RE2 regular expression/);
    expect(checkRegularExpressionIn('^*a', 'p', ['RE2'])).toBeUndefined();
    expect(checkRegularExpressionIn('^*a', 'p', ['PCRE', 'RE2'])).toMatch(/^p "\^\*a" is not a regular expression \(Nothing to repeat\)/);
    expect(checkRegularExpressionIn('(a', 'p', ['PCRE', 'RE2'])).toMatch(/^p "\(a" is not a regular expression \(Unterminated group\)/);
  });
});
