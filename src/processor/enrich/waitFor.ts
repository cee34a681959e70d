/**
 * Waits for `work` at most `budgetMs`; resolves undefined when the budget runs
 * out first. The work itself is not cancelled: look-ups go on and fill the cache.
 */
export function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<T | undefined> {
  if (budgetMs <= 0) return Promise.resolve(undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, budgetMs, undefined);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
