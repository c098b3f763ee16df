// The pattern of an ILIKE that matches text containing `text` literally: its own % and _ (and the escape, \) are
// escaped, so a search for "50%" or "m_6" finds those characters and not "any run" or "any one".
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}
