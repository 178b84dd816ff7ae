import { SECRET_FIELDS, type DetailType } from './catalogue.ts';
import { SECRET_MASK } from './templates.ts';
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

/** What a secret's value is replaced with, wherever a copy of it is kept or shown. */
export const REDACTED = '[redacted]';

/** Words that make a field a secret's, whatever else its name says (`temporaryPassword`, `otp_code`, `PIN`). */
const SECRET_WORDS = new Set(['secret', 'secrets', 'password', 'passwords', 'passwd', 'pwd', 'passcode', 'passphrase', 'otp', 'totp', 'pin', 'matkhau']);
/** A `…Code` is a secret when these qualify it (`verificationCode`, `smsCode`); `unitCode`, `confirmationCode` are identifiers. */
const SECRET_CODE_QUALIFIERS = new Set([
  'verification',
  'verify',
  'security',
  'auth',
  'authentication',
  'access',
  'activation',
  'login',
  'sms',
  'one',
  'onetime',
  'reset',
  'pass',
  'mfa',
  '2fa',
]);

/**
 * Whether a field is named like one that holds a password, a one-time code, a
 * PIN or a secret (case-insensitive, camelCase, snake_case, kebab-case or all
 * one word): `code`, `Code`, `OTP`, `pin`, `password`, `temporaryPassword`,
 * `TEMPORARYPASSWORD`, `otpCode`, `smsCode`, `secret`, `secretCiphertext`.
 * Identifiers that end in "code" (`unitCode`, `facilityCode`, `collectorCode`,
 * `confirmationCode`) are not: an operator needs them to read, and a redriven
 * event to replay.
 */
export function isSecretFieldName(name: string): boolean {
  const words = (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+[a-z]*/g) ?? []).map((w) => w.toLowerCase());
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  if (words.length === 1 && words[0] === 'code') return true;
  if (words.at(-1) === 'code' && words.slice(0, -1).some((w) => SECRET_CODE_QUALIFIERS.has(w))) return true;
  // The long stems anywhere (`TEMPORARYPASSWORD`, `mat_khau`); in a name of one word of one case (`otpcode`, `smscode`), the short ones at an end.
  const flat = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/password|passwd|passcode|passphrase|secret|matkhau/.test(flat)) return true;
  if (words.length > 1) return false;
  return /^otp|otp$|^pin(code|no|number)?$/.test(flat) || (flat.endsWith('code') && SECRET_CODE_QUALIFIERS.has(flat.slice(0, -'code'.length)));
}

/** `value` with every field named like a secret's, at any depth (inside arrays too), replaced by REDACTED. */
export function redactSecretFields<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactSecretFields(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretFieldName(k) ? REDACTED : redactSecretFields(v)])) as T;
  }
  return value;
}

/** `"name": value` (JSON, possibly cut short) and `name=value` / `name: value` in free text. */
const TEXT_FIELD = /("([^"\\]{1,64})"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,{}[\]"]+)|\b([A-Za-z][\w-]{0,63})(\s*[=:]\s*)([^\s,;&}\]]+)/g;

/**
 * A copy of an event (or any body) to keep or show: every field named like a
 * secret's (isSecretFieldName), at any depth and whatever the detail-type (a
 * mistyped `OTPIssued` too), has its value replaced by REDACTED, and the known
 * secret fields of the catalogue's kinds as well. Operators can read why it was
 * refused, and the secret does not sit in a queue for two weeks (the publisher
 * issues a new one). A body that is not JSON has its `"name": value` and
 * `name=value` pairs redacted the same way. A body with nothing to redact is
 * returned exactly as it came, so that a redrive replays it untouched.
 */
export function redactSecrets(body: string): string {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return body.replace(TEXT_FIELD, (match, jsonKey: string | undefined, jsonName: string | undefined, _jsonValue, textName: string | undefined, separator: string | undefined) => {
      if (jsonName !== undefined) return isSecretFieldName(jsonName) ? `${jsonKey}"${REDACTED}"` : match;
      return textName !== undefined && isSecretFieldName(textName) ? `${textName}${separator}${REDACTED}` : match;
    });
  }
  let redacted = redactSecretFields(event);
  if (redacted !== null && typeof redacted === 'object' && !Array.isArray(redacted)) {
    const { 'detail-type': detailType, detail } = redacted as { 'detail-type'?: unknown; detail?: unknown };
    const known = SECRET_FIELDS[detailType as DetailType];
    if (known && detail !== null && typeof detail === 'object' && !Array.isArray(detail)) {
      const fields = { ...(detail as Record<string, unknown>) };
      for (const field of known) if (field in fields) fields[field] = REDACTED;
      redacted = { ...redacted, detail: fields };
    }
  }
  return JSON.stringify(redacted) === JSON.stringify(event) ? body : JSON.stringify(redacted);
}

/** Whether a body holds anything redactSecrets would redact: a password, a code, a secret. */
export function carriesSecret(body: string): boolean {
  return redactSecrets(body) !== body;
}

/**
 * For showing an event to an operator: Vietnamese phone numbers (and anything
 * shaped like one) keep their last three digits; dates, amounts and codes stay readable.
 */
export function maskPhonesIn(text: string): string {
  return text.replace(/(?<![\d\w])(?:\+?84|0)[\d .-]{7,14}\d(?!\d)/g, (match) => {
    const digits = match.replace(/\D/g, '');
    return digits.length >= 9 && digits.length <= 12 ? `***${digits.slice(-3)}` : match;
  });
}

/** A BHXH number on its own (`0113096123` in `contribution-stopped#0113096123#…`), or a 10-digit phone number. */
const BHXH_NUMBER = /(?<![\dA-Za-z])(\d{5})\d{5}(?![\dA-Za-z])/g;
/** A health-insurance card number: 2 letters, 3 digits, then the holder's BHXH number (`HC4010110129425`). */
const CARD_NUMBER = /(?<![\dA-Za-z])([A-Za-z]{2}\d{3})(\d{5})\d{5}(?![\dA-Za-z])/g;

/**
 * For log lines: BHXH numbers (in message keys, subjects, card numbers) keep
 * their first five digits (`01130*****`, `HC40101101*****`), enough to tell
 * messages apart, not to name the person. Strings are masked, arrays and plain
 * objects masked throughout; anything else is returned as it is.
 */
export function maskBhxhNumbers<T>(value: T): T {
  if (typeof value === 'string') return value.replace(CARD_NUMBER, '$1$2*****').replace(BHXH_NUMBER, '$1*****') as T;
  if (Array.isArray(value)) return value.map((v) => maskBhxhNumbers(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskBhxhNumbers(v)])) as T;
  }
  return value;
}

/**
 * Where each kind that carries a password or code holds it in its rendered
 * (transliterated) text: what comes before the secret, and what the template
 * says after it. The secret is everything in between, so that a secret with
 * unusual characters is masked whole.
 */
const SECRET_IN_SMS: Readonly<Record<string, RegExp>> = {
  otp: /^(Ma OTP )(.+?)( dung de )/s,
  'temporary-password': /^(Mat khau tam thoi cua tai khoan VssID \S+ la )(.+)(\. De nghi doi mat khau ngay sau khi dang nhap\.)$/s,
  'account-approved': /^(.*? mat khau: )(.+)(\. De nghi doi mat khau khi dang nhap lan dau\.)$/s,
};

/** The kinds whose SMS carries a password or a one-time code. */
export const SECRET_BEARING_KINDS: readonly string[] = Object.keys(SECRET_IN_SMS);

/**
 * An SMS as a person watching a terminal may see it: the password or code of
 * a secret-bearing kind replaced by `mask` (the other kinds as they are). A
 * text of such a kind that does not have the template's shape is hidden whole,
 * rather than shown with its secret.
 */
export function maskSecretsInSms(kind: string, text: string, mask = SECRET_MASK): string {
  const pattern = SECRET_IN_SMS[kind];
  if (!pattern) return text;
  if (!pattern.test(text)) return `${mask} (the text of a ${kind} message, hidden: it carries a password or a code)`;
  return text.replace(pattern, (_match, before: string, _secret: string, after: string) => `${before}${mask}${after}`);
}

/**
 * The spellings of a secret's field that an EventBridge pattern can refuse
 * (it matches field names exactly, at a fixed depth): the bus archive keeps no
 * event whose detail has one of them, whatever its detail-type.
 */
export const SECRET_FIELD_SPELLINGS: readonly string[] = [
  'code',
  'Code',
  'CODE',
  'otp',
  'OTP',
  'Otp',
  'otpCode',
  'pin',
  'PIN',
  'password',
  'Password',
  'temporaryPassword',
  'TemporaryPassword',
  'secret',
  'Secret',
];
