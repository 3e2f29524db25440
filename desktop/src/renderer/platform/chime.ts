// The optional arrival sound: two short tones made with Web Audio, so no audio file is shipped
// and the CSP stays closed to media.
let audio: AudioContext | null = null;

/** Browsers start audio only after a user gesture: call this from one (sign-in, a toggle). */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    audio.resume().catch(() => undefined);
  } catch {
    audio = null;
  }
}

/** The console's one audio context (chime, ringtone), or null where Web Audio is missing. */
export function soundOutput(): AudioContext | null {
  if (audio === null) unlockAudio();
  return audio;
}

export function playChime(): void {
  if (audio === null) unlockAudio();
  if (audio === null) return;
  const start = audio.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.16, 1320],
  ] as const) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.3);
    tone.connect(gain).connect(audio.destination);
    tone.start(start + offset);
    tone.stop(start + offset + 0.32);
  }
}
