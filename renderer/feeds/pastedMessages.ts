// Messages pasted into the mapping preview: one per line, or one (pretty-printed) JSON document.

export const MAX_PASTED_MESSAGES = 50;

export function splitPastedMessages(text: string): string[] {
  const t = text.trim();
  if (t === '') return [];
  if (t.includes('\n')) {
    try {
      JSON.parse(t);
      return [t];
    } catch {
      // Not one document: a message per line.
    }
  }
  return t
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, MAX_PASTED_MESSAGES);
}
