// Types of needs.mjs, for the TypeScript that imports it (tests).
import type { ResolvedModule } from './includes.mjs';
export function needsProblems(module: ResolvedModule, root: string): string[];
