// Splits a byte stream into lines: complete lines as they come, very long lines at a bound, the rest on flush.

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      let piece = chunk.subarray(start, end);
      while (this.pendingBytes + piece.length > this.maxLineBytes) {
        const take = this.maxLineBytes - this.pendingBytes;
        this.append(piece.subarray(0, take));
        this.emit();
        piece = piece.subarray(take);
      }
      if (nl === -1) {
        if (piece.length > 0) this.append(piece);
        return;
      }
      this.append(piece);
      this.emit();
      start = nl + 1;
    }
  }

  /** End of stream: a partial last line is still a line. */
  flush(): void {
    if (this.pendingBytes > 0) this.emit();
  }

  private append(b: Buffer): void {
    if (b.length === 0) return;
    this.pending.push(b);
    this.pendingBytes += b.length;
  }

  private emit(): void {
    const line = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.onLine(line.toString('utf8'));
  }
}
