/** What the overlay and Preferences say when the microphone cannot be used: plain words, no error names. */
export const MIC_MESSAGES = {
  denied:
    'Kiyo is not allowed to use the microphone. Allow it in your system settings, or type to her instead.',
  absent: 'No microphone was found. Plug one in or choose another in Preferences → Listening.',
  failed: 'The microphone could not be started. Choose another in Preferences → Listening, or type to Kiyo.',
  lost: 'The microphone stopped (unplugged?). Choose one in Preferences → Listening.',
  /** The voice detector (its worker, onnxruntime or the model) did not load: the microphone is not opened. */
  detector: 'Listening could not start: its voice detector did not load. You can still type to Kiyo.',
} as const;
