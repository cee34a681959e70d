/**
 * The splicer's plan: edits of the original buffer, each replacing the range
 * [pos, end) either by a varint (`value` >= 0: a new length prefix) or by the
 * additions of site `~value` (an insertion, pos === end).
 */
export class EditList {
  readonly pos: Int32Array;
  readonly end: Int32Array;
  readonly value: Int32Array;
  count = 0;

  /** `capacity`: most edits that will be added. */
  constructor(capacity: number) {
    this.pos = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.value = new Int32Array(capacity);
  }

  add(pos: number, end: number, value: number): void {
    const i = this.count++;
    this.pos[i] = pos;
    this.end[i] = end;
    this.value[i] = value;
  }

  /**
   * Edit indices in buffer order. Edits are added in site order, which is
   * buffer order unless a Resource came after ScopeSpans in its ResourceSpans;
   * only then is anything sorted.
   */
  order(): Int32Array {
    const order = new Int32Array(this.count);
    let sorted = true;
    for (let i = 0; i < this.count; i++) {
      order[i] = i;
      if (i > 0 && this.pos[i] <= this.pos[i - 1]) sorted = false;
    }
    return sorted ? order : order.sort((a, b) => this.pos[a] - this.pos[b]);
  }
}
