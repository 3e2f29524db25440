import { startRingtone as ringOn } from '@callcenter/client/media';
import { soundOutput } from './chime';

/** Starts the incoming-call ring on the console's sound output, until the returned stop. */
export function startRingtone(): () => void {
  return ringOn(soundOutput());
}
