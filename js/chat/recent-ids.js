// @ts-check
// Bounded memory of the frame Ids already delivered. While a session is renewed two sockets are
// in the room and both receive every broadcast; the Id says it is the same one. Only the most
// recent ids matter (duplicates arrive within moments of each other), so the oldest are forgotten.

export class RecentIds {
  /** @param {number} capacity how many ids to remember */
  constructor(capacity) {
    this.capacity = capacity;
    /** @type {Set<string>} */
    this.ids = new Set();
    /** The same ids in a ring, oldest at `next` once full (no iterator per frame). @type {string[]} */
    this.ring = [];
    this.next = 0;
  }

  /**
   * Records `id`; false when it was already there (a duplicate).
   * @param {string} id
   */
  add(id) {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ring.length < this.capacity) {
      this.ring.push(id);
    } else {
      this.ids.delete(this.ring[this.next]);
      this.ring[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    return true;
  }

  get size() {
    return this.ids.size;
  }

  clear() {
    this.ids.clear();
    this.ring = [];
    this.next = 0;
  }
}
