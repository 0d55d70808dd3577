import { cpus, totalmem, platform, release, arch } from 'node:os';

/** The machine a run happened on, for results.json and the README table. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemBytes: number;
  os: string;
  node: string;
  v8: string;
  date: string;
}

/** Describes this machine and runtime now. */
export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    totalMemBytes: totalmem(),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
  };
}

/** One line: `Intel Xeon … (2 cores), 23.4 GiB, Node v20.20.2, linux 6.1 x64`. */
export function describeMachine(machine: MachineInfo): string {
  const gib = (machine.totalMemBytes / 1024 ** 3).toFixed(1);
  return `${machine.cpuModel} (${machine.cores} cores), ${gib} GiB, Node ${machine.node}, ${machine.os}`;
}
