/**
 * The one signal by which the recording engine tells the program that it is the offline plan (DESIGN §7).
 * A real `pulumi` run never sets it; refusals meant for a real `up` act only when it is absent.
 */
export const OFFLINE_PLAN_ENV = "GOCY_OFFLINE_PLAN";

export function isOfflinePlan(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[OFFLINE_PLAN_ENV] === "1";
}
