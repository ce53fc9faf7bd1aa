/** What the overlay and Preferences say when the microphone cannot be used: plain words, no error names. */
export const MIC_MESSAGES = {
  denied:
    'Kiyo is not allowed to use the microphone. Allow it in your system settings, or type to her instead.',
  absent: 'No microphone was found. Plug one in or choose another in Preferences → Listening.',
  failed: 'The microphone could not be started. Choose another in Preferences → Listening, or type to Kiyo.',
  lost: 'The microphone stopped (unplugged?). Choose one in Preferences → Listening.',
} as const;
