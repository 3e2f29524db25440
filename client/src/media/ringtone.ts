// The incoming-call ring: two mixed tones in the classic "ring-ring, pause" cadence, made with
// Web Audio (no audio file, and the apps' CSP stays closed to media). Both apps ring with it.

const TONES_HZ = [440, 480] as const;
/** On and off times (seconds) of one cycle: ring, gap, ring, pause. */
const CADENCE = [0.4, 0.2, 0.4, 2.0] as const;
const CYCLE_S = CADENCE.reduce((sum, part) => sum + part, 0);
const LEVEL = 0.12;

/** Starts ringing on `audio` until the returned function is called (no audio: no ring). */
export function startRingtone(audio: AudioContext | null): () => void {
  if (audio === null) return () => undefined;
  const gain = audio.createGain();
  gain.gain.value = 0;
  gain.connect(audio.destination);
  const tones = TONES_HZ.map((frequency) => {
    const tone = audio.createOscillator();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start();
    return tone;
  });
  // Each cycle is scheduled on the audio clock a little ahead of time, so timers that run late
  // (a background tab) do not make the ring stutter.
  let next = audio.currentTime + 0.05;
  const schedule = (): void => {
    while (next < audio.currentTime + CYCLE_S) {
      let at = next;
      CADENCE.forEach((length, index) => {
        const on = index % 2 === 0;
        gain.gain.setTargetAtTime(on ? LEVEL : 0, at, 0.01);
        at += length;
      });
      next += CYCLE_S;
    }
  };
  schedule();
  const timer = setInterval(schedule, 1_000);
  return () => {
    clearInterval(timer);
    gain.gain.cancelScheduledValues(audio.currentTime);
    gain.gain.setTargetAtTime(0, audio.currentTime, 0.01);
    for (const tone of tones) tone.stop(audio.currentTime + 0.1);
    setTimeout(() => {
      gain.disconnect();
    }, 200);
  };
}
