/** The path Vite builds the dashboard for (vite.config.ts `base`), without the trailing slash. */
export const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');
