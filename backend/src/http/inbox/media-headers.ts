/**
 * How a customer's file is served from our origin. Its bytes and its declared type come from the
 * customer (Meta passes on what the phone said), so a file a browser would run as a page (HTML, SVG,
 * XML) must never render as one of ours, where it could act with a rep's session. Pictures, sound and
 * video show inline; everything else is a download. Either way no script runs (CSP sandbox) and the
 * browser does not guess a type other than the one we send (nosniff).
 */

const INLINE = /^(image\/(jpeg|png|webp|gif)|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+)$/;
const ESSENCE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;
const PARAMETER = /^[a-z0-9!#$&^_.+-]+=[a-z0-9!#$&^_.+-]+$/;
const FALLBACK = "application/octet-stream";

/** The declared type as a header can carry it: `type/subtype` plus simple parameters (a voice note is `audio/ogg; codecs=opus`), else a byte stream. */
export function servedMediaType(declared: string): { contentType: string; essence: string } {
  const [head = "", ...rest] = declared.toLowerCase().split(";").map((part) => part.trim());
  if (!ESSENCE.test(head)) return { contentType: FALLBACK, essence: FALLBACK };
  const parameters = rest.filter((part) => PARAMETER.test(part));
  return { contentType: [head, ...parameters].join("; "), essence: head };
}

export function mediaResponseHeaders(declared: string): Record<string, string> {
  const { contentType, essence } = servedMediaType(declared);
  return {
    "content-type": contentType,
    "content-disposition": INLINE.test(essence) ? "inline" : "attachment",
    "content-security-policy": "default-src 'none'; sandbox",
    "x-content-type-options": "nosniff",
    "cache-control": "private, max-age=3600",
  };
}
