export { canonicalJson } from '../../domain/json/canonical-json.ts';
export { GENESIS_HASH, chain, entryHash } from './hash-chain.ts';
export type { Chained } from './hash-chain.ts';
export { verifyChain } from './verify-chain.ts';
export type { ChainBreak, ChainVerdict, VerifyOptions } from './verify-chain.ts';
export { verifyStoredChain } from './verify-stored-chain.ts';
