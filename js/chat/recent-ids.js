// @ts-check
// Bounded memory of the frame Ids already delivered. While a session is renewed two sockets are
// in the room and both receive every broadcast; the Id says it is the same one. Only the most
// recent ids matter (duplicates arrive within moments of each other), so the oldest are forgotten.

export class RecentIds {
  /** @param {number} capacity how many ids to remember */
  constructor(capacity) {
    this.capacity = capacity;
    /** Insertion-ordered, so the first key is the oldest. @type {Set<string>} */
    this.ids = new Set();
  }

  /**
   * Records `id`; false when it was already there (a duplicate).
   * @param {string} id
   */
  add(id) {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = /** @type {string} */ (this.ids.values().next().value);
      this.ids.delete(oldest);
    }
    return true;
  }

  get size() {
    return this.ids.size;
  }

  clear() {
    this.ids.clear();
  }
}
