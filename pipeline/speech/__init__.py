"""Speech: decode and check audio files, provision Whisper models, transcribe per channel."""
