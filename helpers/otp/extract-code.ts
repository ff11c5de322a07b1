/**
 * The code out of an OTP email. Such an email holds other numbers too: dates, times, years,
 * reference and order numbers, phone numbers, amounts, digits inside links. The code is a run of
 * exactly the OTP's length that stands alone (not part of a date, a phone number or a word), and
 * when there are several such runs, the one announced by a word like "OTP", "code" or
 * "verification" counts; a run introduced as a reference, an order or a phone number never does.
 * HTML is read as a person sees it: converted to text, links' addresses and images left out.
 */
import { htmlToText } from 'html-to-text';
import { simpleParser } from 'mailparser';

/** Transak's email OTP has six digits. */
export const OTP_DIGITS = 6;

/** Words that announce the code, before it ("Your OTP is 482913") or after it ("482913 is your code"). */
const ANNOUNCING = /\b(?:otp|one[- ]?time|pass ?code|verification|verify|security code|code|pin)\b/gi;
/** A run right after one of these words is some other number ("Ref: 771020", "Order no. 551234"). */
const OTHER_NUMBER =
  /\b(?:ref(?:erence)?|order|invoice|transaction|tx|ticket|case|account|acct|id|no|number|phone|tel|mobile|call|fax|zip|postcode)\b[^\p{L}\p{N}]{0,4}$/iu;
/** Characters that make a digit run part of something else when they touch it. */
const JOINED_BEFORE = /(?:[\p{L}\p{N}_#+$€£¥=&/\\@]|\p{N}[.,:\-–])$/u;
const JOINED_AFTER = /^(?:[\p{L}\p{N}_@%]|[.,:\-–/]\p{N})/u;

/** How far (in characters, white space collapsed) an announcing word may stand from the code. */
const BEFORE_WINDOW = 200;
const AFTER_WINDOW = 40;

interface Run {
  value: string;
  start: number;
  end: number;
}

function standaloneRuns(text: string, digits: number): Run[] {
  const runs: Run[] = [];
  for (const match of text.matchAll(/\d+/g)) {
    const start = match.index;
    const end = start + match[0].length;
    if (match[0].length !== digits) continue;
    const before = text.slice(Math.max(0, start - 24), start);
    if (JOINED_BEFORE.test(before) || JOINED_AFTER.test(text.slice(end, end + 2)) || OTHER_NUMBER.test(before)) continue;
    runs.push({ value: match[0], start, end });
  }
  return runs;
}

/** The run with the nearest announcing word within `window` characters, on the given side. */
function nearestAnnounced(runs: Run[], words: Run[], side: 'before' | 'after', window: number): string | undefined {
  let best: { gap: number; run: Run } | undefined;
  for (const run of runs) {
    for (const word of words) {
      const gap = side === 'before' ? run.start - word.end : word.start - run.end;
      if (gap >= 0 && gap <= window && (best === undefined || gap < best.gap)) best = { gap, run };
    }
  }
  return best?.run.value;
}

/** The code in an OTP email's subject and text, or undefined when none can be told apart. */
export function extractOtp(raw: string, digits = OTP_DIGITS): string | undefined {
  const text = raw.replace(/\s+/g, ' ');
  const runs = standaloneRuns(text, digits);
  if (runs.length === 0) return undefined;
  const words = [...text.matchAll(ANNOUNCING)].map((m) => ({ value: m[0], start: m.index, end: m.index + m[0].length }));
  const announced = nearestAnnounced(runs, words, 'before', BEFORE_WINDOW) ?? nearestAnnounced(runs, words, 'after', AFTER_WINDOW);
  if (announced !== undefined) return announced;
  const distinct = new Set(runs.map((r) => r.value));
  return distinct.size === 1 ? runs[0].value : undefined;
}

function visibleText(html: string): string {
  return htmlToText(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}

/**
 * The code of a raw RFC 5322 message (MIME parts, transfer encodings and charsets decoded): from
 * its text part, or else from its HTML as a reader sees it.
 */
export async function otpInMessage(source: Buffer | string, digits = OTP_DIGITS): Promise<string | undefined> {
  const { subject = '', text, html } = await simpleParser(source);
  const fromText = text ? extractOtp(`${subject}\n${text}`, digits) : undefined;
  if (fromText !== undefined || !html) return fromText;
  return extractOtp(`${subject}\n${visibleText(html)}`, digits);
}
