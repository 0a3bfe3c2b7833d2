/**
 * The HR file of the people benchmarks: a CEO and 10 reports each (~4 levels at 5,000), with a
 * department and location per person, managers before their reports as HR systems usually export.
 */
export function hrFile(n: number): string {
  const email = (i: number) => `person${i}@bench.example`;
  const lines = ['Employee ID,First Name,Last Name,Work Email,Job Title,Department,Location,Manager Email'];
  for (let i = 0; i < n; i++) {
    const manager = i === 0 ? '' : email(Math.floor((i - 1) / 10));
    lines.push(
      `E${i},Person,Number${i},${email(i)},${i === 0 ? 'CEO' : 'Staff'},Dept ${i % 25},City ${i % 7},${manager}`,
    );
  }
  return lines.join('\n');
}
