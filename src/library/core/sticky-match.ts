/** The match of a sticky (`y`) `syntax` at `index` of `text`, if any: how the pattern scanners read a piece in place. */
export function matchAt(syntax: RegExp, text: string, index: number): RegExpExecArray | null {
  syntax.lastIndex = index;
  return syntax.exec(text);
}
