// The station's sounds, made with a WebAudio oscillator (no audio files to ship or load): a short
// high beep for a good scan, a loud low buzz for a refusal, and a longer siren for an intercept.
// Browsers only start audio after a user gesture; a scanner's keystrokes count as one.

export type Sound = 'ok' | 'error' | 'intercept';

let ctx: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof window === 'undefined' || typeof window.AudioContext === 'undefined') return null;
  ctx ??= new window.AudioContext();
  if (ctx.state === 'suspended') void ctx.resume();
  return ctx;
}

/** Tone pulses: [frequency Hz, start s, length s]; square waves carry over a noisy packing room. */
const PATTERNS: Record<Sound, { type: OscillatorType; gain: number; pulses: [number, number, number][] }> = {
  ok: { type: 'sine', gain: 0.25, pulses: [[1760, 0, 0.08]] },
  error: { type: 'square', gain: 0.6, pulses: [[220, 0, 0.18], [180, 0.22, 0.3]] },
  intercept: { type: 'square', gain: 0.7, pulses: [[880, 0, 0.25], [440, 0.3, 0.25], [880, 0.6, 0.25], [440, 0.9, 0.4]] },
};

/** Play one of the station's sounds; silently nothing where audio is unavailable. */
export function beep(sound: Sound): void {
  const ac = audio();
  if (!ac) return;
  const { type, gain, pulses } = PATTERNS[sound];
  const t0 = ac.currentTime;
  for (const [freq, start, length] of pulses) {
    const osc = ac.createOscillator();
    const amp = ac.createGain();
    osc.type = type;
    osc.frequency.value = freq;
    // A short ramp at both ends avoids clicks.
    amp.gain.setValueAtTime(0, t0 + start);
    amp.gain.linearRampToValueAtTime(gain, t0 + start + 0.01);
    amp.gain.setValueAtTime(gain, t0 + start + length - 0.01);
    amp.gain.linearRampToValueAtTime(0, t0 + start + length);
    osc.connect(amp).connect(ac.destination);
    osc.start(t0 + start);
    osc.stop(t0 + start + length + 0.02);
  }
}
