import { checkRegularExpression } from 'k8s-iac';

describe('regular expressions', () => {
  test('a pattern no proxy compiles is refused with the reason and the fix', () => {
    for (const [pattern, reason] of [
      ['([', /Unterminated character class/],
      ['gray-(', /Unterminated group/],
      ['gray)', /Unmatched '\)'/],
      ['*gray', /Nothing to repeat/],
      ['a{3,1}', /numbers out of order/],
      ['gray\\', /\\ at end of pattern/],
      ['(a)\\2', /it refers to group 2, and it has 1/],
      ['(?P=build)-x', /it refers to a group named "build", which it does not define/],
      ['(?<b>x)\\k<c>', /it refers to a group named "c"/],
      ['(?1)x', /it refers to group 1, and it has 0/],
      // a relative reference counts from where it stands: back past the first group, or past the last
      ['(?-1)(a)', /it refers to a group before its first one/],
      ['(a(?-2))', /it refers to a group before its first one/],
      ['\\g{-1}', /it refers to a group before its first one/],
      ['(a)(?+1)', /it refers to group 2, and it has 1/],
      ["(a)\\g'+1'", /it refers to group 2, and it has 1/],
      // group 0 is the whole pattern: it may be called, not referred back to
      ['a\\g0', /it refers to a group before its first one/],
      ['(?(0)a|b)', /it refers to a group before its first one/],
      ['(a)(?+0)', /Invalid group/],
      // PCRE quantifies no option setting, verb or callout
      ['a(?i)*', /Nothing to repeat/],
      ['a(*F)*', /Nothing to repeat/],
      ['a(?C1)?', /Nothing to repeat/],
      // a braced escape ends a range as its character: a (0x61) is above \x{5A} (Z)
      ['[a-\\x{5A}]', /Range out of order in character class/],
    ] as const) {
      expect(checkRegularExpression(pattern, 'canary headerPattern')).toMatch(reason);
      expect(checkRegularExpression(pattern, 'canary headerPattern')).toMatch(/is not a regular expression \(.*\): .*write \\ before each of/);
    }
  });
  test('PCRE2 takes no set (\\d, [:alpha:]) at an end of a range, though JavaScript and PCRE1 read its - as itself (grep -P: "invalid range in character class")', () => {
    for (const [pattern, reason] of [
      ['[\\w-.]+', /invalid range \\w-\. in a character class: a set such as \\d cannot end a range\): write \\- for a '-' meant as itself, or put it last in the class$/],
      ['[[:alpha:]-z]', /invalid range \[:alpha:\]-z in a character class/],
      ['[a-\\d]', /invalid range a-\\d in a character class/],
      ['[\\p{L}-z]', /invalid range \\p\{L\}-z in a character class/],
    ] as const) {
      expect(checkRegularExpression(pattern, 'canary headerPattern')).toMatch(reason);
    }
  });

  test('a group name used twice is refused unless (?J) or a branch-reset group lets PCRE take it', () => {
    expect(checkRegularExpression('(?<a>x)(?<a>y)', 'canary headerPattern')).toBe(
      'canary headerPattern "(?<a>x)(?<a>y)" is not a regular expression (two groups have the same name): give each group its own name, or set (?J) before them where PCRE should take a name twice',
    );
  });
  test('patterns PCRE2 compiles pass, its own syntax included: groups, references, quoting and possessive quantifiers', () => {
    // each compiles in PCRE2 (grep -P); scripts/header-pattern-agreement.js holds the same against generated patterns
    for (const pattern of [
      ...['^gray-.*', '^(test|prod)-[0-9]+$', '(?:a|b)+', '(?<build>\\d+)\\k<build>', '(a)(b)\\2', '(?i)^gray', '(?>ab|a)c', 'a++b', '\\d*+', '(*UCP)\\w+'],
      ...['a(?0)?', 'a\\g<0>?', "a\\g'0'", '(a)(?-1)', '(a(?-1))', '(?+1)(a)', '(a)\\g-1', '\\g+1(a)', '(a)\\g<-1>', '\\g<+1>(a)', '(?<n>a)(?-1)'],
      ...['(*ACCEPT)*', 'a(?i){,3}', 'a(?#c)*', '(?J)(?<a>x)(?<a>y)', '(?|(?<a>x)|(?<a>y))'],
      ...['(?P<n>x)(?P=n)', "(?'n'x)\\k'n'", '(?#comment)x', '[[:alpha:]]+', '[]a]', 'x{2}?', '\\x{41}*', '[\\x{41}-\\x{5a}]', '\\Q(*\\E+', '(?<=a)?b', '(a)(?1)*', '(a)?(?(1)b|c)', '(?C1)a'],
      // a '-' first, last, escaped or right after a range is itself; a braced escape ends a range as its character
      ...['[\\w-]', '[-\\w]', '[\\w\\-.]', '[a-z-0]', '[a-z-\\d]', '[^-\\d]', '[]-a]', '[\\Qa-z\\E]', '[\\x{41}-Z]', '[\\o{101}-Z]', '[\\x{100}-\\x{10000}]', '[\\x{ffff}-\\x{10ffff}]'],
    ]) {
      expect(checkRegularExpression(pattern, 'canary headerPattern')).toBeUndefined();
    }
  });
});
