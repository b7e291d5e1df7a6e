// Types of nodeVersion.mjs, which stays plain JavaScript so that an old Node can run it.
export declare const REQUIRED_NODE_MAJOR: number;
export declare const NODE24_PREFIX: string;
export declare function nodeMajor(version: string): number;
export declare function nodeVersionProblem(version: string, execPath?: string): string | null;
