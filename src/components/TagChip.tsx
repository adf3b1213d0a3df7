// A tag as a small coloured chip.
import type { TagView } from '../../electron/shared/contract.ts';
import './marks.css';

export function TagChip({ tag, onRemove, removeLabel }: { tag: TagView; onRemove?: () => void; removeLabel?: string }) {
  return (
    <span className="tag-chip" data-testid="tag-chip" style={{ borderColor: tag.color, color: tag.color }}>
      {tag.name}
      {onRemove && (
        <button type="button" className="tag-chip-x" aria-label={removeLabel} onClick={onRemove}>
          ×
        </button>
      )}
    </span>
  );
}
