/**
 * Provider error messages can echo the destination number; anything that
 * looks like a phone number is masked before it is stored or logged.
 */
export function redactNumbers(text: string): string {
  return text.replace(/\+?\d[\d .-]{6,}\d/g, (match) => {
    const digits = match.replace(/\D/g, '');
    return `***${digits.slice(-3)}`;
  });
}
