// A titled block inside the order drawer.
import type { ReactNode } from 'react';

export function Section({ title, actions, children, testId }: { title: string; actions?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="drawer-section" data-testid={testId}>
      <header className="drawer-section-title">
        <h3>{title}</h3>
        {actions && <div className="drawer-section-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
