/** Types of replication.js, for the scale tests that share it. */
export interface ReplicationNode {
  port: number
  query(sql: string, values?: unknown[]): Promise<any>
}
export const APP_USER: { user: string; password: string }
export function installArgs(dir: string): string[]
export function serverArgs(dir: string, port: number, serverId: number): string[]
export function rootQuery(port: number, sql: string, values?: unknown[]): Promise<any>
export function replicate(
  primary: ReplicationNode,
  replica: ReplicationNode,
  database: string
): Promise<void>
export function caughtUp(
  primary: ReplicationNode,
  replica: ReplicationNode,
  timeoutMs?: number
): Promise<void>
