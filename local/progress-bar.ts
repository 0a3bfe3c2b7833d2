/** A one-line terminal progress bar (plain lines when stdout is not a terminal). */
export function progressBar(label: string) {
  let last = '';
  return {
    update(done: number, total?: number) {
      const line = total
        ? `${label} [${'#'.repeat(Math.round((done / Math.max(total, 1)) * 30)).padEnd(30, '.')}] ${done}/${total}`
        : `${label} ${done}`;
      if (line === last) return;
      last = line;
      if (process.stdout.isTTY) process.stdout.write(`\r${line}`);
      else console.log(line);
    },
    finish(message: string) {
      if (process.stdout.isTTY) process.stdout.write('\n');
      console.log(message);
    },
  };
}
