// Every test process stands in for a host, and every host that ships carries the demo: it registers
// the sandbox's in-process platform in its thread (createCore with demoProvider does the same). Tests
// that sync 'sandbox' shops through the registry (the scheduler, the outbox, the CLI) rely on it.
// Loaded by vitest.config.ts as a setup file.
import { registerSandboxPlatform } from '../sandbox/platform.ts';

registerSandboxPlatform();
