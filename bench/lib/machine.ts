/** Notes on the machine a run was measured on, taken at the start of the run. */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineNotes {
  readonly cpuModel: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the run started. */
  readonly loadAverageAtStart: readonly number[];
  readonly startedAt: string;
}

export const machineNotes = (startedAt: Date): MachineNotes => {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    node: process.version,
    platform: `${platform()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    startedAt: startedAt.toISOString(),
  };
};
