/** problem+json bodies for the gateway's refusals: what was wrong, never how the gateway is built. */
import { PROBLEM_CONTENT_TYPE } from '../evidence/index.ts';

export interface GatewayProblem {
  status: number;
  slug: string;
  title: string;
  detail: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  503: 'Unavailable',
};

export function problem(status: number, slug: string, detail: string): GatewayProblem {
  return { status, slug, title: TITLES[status] ?? 'Error', detail };
}

export function problemBody(p: GatewayProblem): string {
  return JSON.stringify({ type: `urn:errand:problem:${p.slug}`, title: p.title, status: p.status, detail: p.detail });
}

export { PROBLEM_CONTENT_TYPE };
