/**
 * The matrix run's global setup: the suite's preflight per target, and at the end its run-level
 * verdict per target, each written to the target's output folder: no single error speaks for them all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { preflightTarget } from '../../helpers/preflight';
import { createDepotDir, DEPOT_VARIABLE, removeDepotDir } from '../../helpers/token-depot';
import { PREFLIGHT_FILE, RUN_VERDICT_FILE } from './matrix-row';

export default async function matrixSetup(config: FullConfig): Promise<() => void> {
  const depotDir = createDepotDir();
  process.env[DEPOT_VARIABLE] = depotDir;
  const judges = await Promise.all(
    config.projects.map(async (project) => {
      mkdirSync(project.outputDir, { recursive: true });
      const env = { ...process.env, ...(project.use as { targetEnv?: Record<string, string> }).targetEnv };
      try {
        return await preflightTarget({ env, runDir: project.outputDir, workers: config.workers, shard: null });
      } catch (error) {
        writeFileSync(join(project.outputDir, PREFLIGHT_FILE), error instanceof Error ? error.message : String(error));
        return undefined;
      }
    }),
  );
  return () => {
    removeDepotDir(depotDir);
    config.projects.forEach((project, i) => {
      try {
        judges[i]?.();
      } catch (error) {
        writeFileSync(join(project.outputDir, RUN_VERDICT_FILE), error instanceof Error ? error.message : String(error));
      }
    });
  };
}
