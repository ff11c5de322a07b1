/**
 * Live controls of the rejection probes. "Refresh rejects the logged-out token" proves nothing if
 * Refresh rejects every token (a gateway that wants something the probe does not send refuses every
 * call). So the preflight sends each probe operation a live token, in exactly the request shape the
 * probes send (the same client builds both), and writes what it answered into the run's output
 * folder; a rejection probe of an operation whose control was refused is red ("cannot judge …"),
 * never a pass.
 *
 * Unless the token Logout refused was not live: Get User Details refused it as well. Something ended
 * it (on a gateway whose logout ends every token, another shard's logout), and the preflight's second
 * try met the same: that says nothing about Logout, so its probes are judged as they come, with a
 * note. A credential it accepts is still red, and rule 1's test shows whether Logout accepts a live
 * token.
 */
import { join } from 'node:path';
import { isSuccess, type Exchange } from './exchange';
import { labelOf, type TokenOperation } from './operations';
import { runFiles, type RunFiles } from './run-files';

export interface ProbeControl {
  status: number;
  /** The answer's error message or status text: what a reader needs to see why it refused. */
  message: string;
  /** Logout refused a token that was not live (see above): the control proves nothing either way. */
  notLive?: boolean;
}

export type ProbeControls = Partial<Record<TokenOperation, ProbeControl>>;

const controlsIn = (outputDir: string): RunFiles => runFiles(join(outputDir, '.transak-probe-controls'));

export function controlOf(ex: Exchange): ProbeControl {
  const error = (ex.json as { error?: { message?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' && error.message !== '' ? error.message : ex.statusText;
  return { status: ex.status, message: message.slice(0, 160) };
}

export function writeControls(outputDir: string, controls: ProbeControls): void {
  controlsIn(outputDir).put('controls.json', JSON.stringify(controls));
}

export function readControls(outputDir: string): ProbeControls {
  return JSON.parse(controlsIn(outputDir).get('controls.json') ?? '{}') as ProbeControls;
}

/** Why a probe of this operation judges nothing, or undefined when its live control accepted the token (or proved nothing). */
export function cannotJudge(operation: TokenOperation, control: ProbeControl | undefined): string | undefined {
  if (control === undefined) return `cannot judge ${labelOf(operation)}: no live control of it ran in this run (the preflight sends one)`;
  if (isSuccess(control) || control.notLive) return undefined;
  return `cannot judge ${labelOf(operation)}: it refuses a live token (${control.status} ${control.message})`;
}

/** The note a probe carries when its operation's control proved nothing, because its token had ended. */
export function notLiveControlNote(operation: TokenOperation, control: ProbeControl | undefined): string | undefined {
  if (!control?.notLive) return undefined;
  return `${labelOf(operation)} refused the preflight's token (${control.status} ${control.message}), and so did Get User Details, twice: no live token reached its control, so ${labelOf(operation)}'s refusals here are judged without one`;
}
