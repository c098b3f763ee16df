// A person's handle as a link to their profile (`/{handle}`; a remote person's is `handle@host`).
export function PersonLink({ handle, className }: { handle: string; className?: string }) {
  return (
    <a class={className ? `person ${className}` : 'person'} href={`/${encodeURIComponent(handle)}`}>
      @{handle}
    </a>
  );
}
