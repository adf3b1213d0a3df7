// The seller flag (旗帜) as a coloured flag glyph; 0 (none) shows a hollow outline.
import './marks.css';

export const FLAG_COLOURS = ['none', 'red', 'yellow', 'green', 'blue', 'purple'] as const;

export function FlagMark({ flag, title }: { flag: number; title?: string }) {
  const colour = FLAG_COLOURS[flag] ?? 'none';
  return (
    <span className={`flag flag-${colour}`} title={title} data-flag={flag} aria-label={title}>
      ⚑
    </span>
  );
}
