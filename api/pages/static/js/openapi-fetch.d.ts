// Types for ./openapi-fetch.js, which the server serves from the openapi-fetch package (api/pages/index.ts).
export * from 'openapi-fetch';
export { default } from 'openapi-fetch';
