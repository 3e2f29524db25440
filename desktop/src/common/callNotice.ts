// Wording of the incoming-call notification. Pure, so both the main process (native
// notifications) and the renderer in a plain browser (Notification API) use it.

/** The notification for a customer calling the agent while the console is not focused. */
export function incomingCallNotice(customerName: string): { title: string; body: string } {
  return {
    title: `${customerName} is calling`,
    body: 'Incoming voice call. Open the console to answer or decline.',
  };
}
