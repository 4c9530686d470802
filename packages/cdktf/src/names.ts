/** Vault parameter names (snake_case) ⇄ construct prop names (camelCase). */
export const camelCase = (snake: string): string =>
  snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
