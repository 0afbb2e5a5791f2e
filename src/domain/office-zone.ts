import { IANAZone } from 'luxon';

const SPAN_MS = 15 * 60_000;
// Past this many spans (about 40 days of clock readings) the memory starts again rather than grow.
const MAX_SPANS = 4_096;

/**
 * An IANA zone that remembers the offsets it has worked out. Luxon asks Intl for the offset of every
 * DateTime it makes in an IANA zone (`formatToParts`, tens of microseconds each), and the clock makes one
 * for every request. A 15-minute span is remembered only when its first and last millisecond have the same
 * offset: no zone changes its offset twice within 15 minutes, so every offset it answers is the one
 * `IANAZone` would. It compares equal to the plain zone of the same name, and formats the same.
 */
export class OfficeZone extends IANAZone {
  readonly #offsets = new Map<number, number>();

  override offset(ts: number): number {
    if (!Number.isFinite(ts)) return super.offset(ts);
    const span = Math.floor(ts / SPAN_MS);
    const known = this.#offsets.get(span);
    if (known !== undefined) return known;
    const first = super.offset(span * SPAN_MS);
    if (first !== super.offset((span + 1) * SPAN_MS - 1)) return super.offset(ts);
    if (this.#offsets.size >= MAX_SPANS) this.#offsets.clear();
    this.#offsets.set(span, first);
    return first;
  }
}
