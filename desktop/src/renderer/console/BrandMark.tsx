/** The app's mark: a chat bubble, the same shape as the desktop icon. */
export function BrandMark({ size = 40 }: { size?: number }) {
  return (
    <svg className="brand-mark" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true">
      <rect width="64" height="64" rx="14" fill="#2456d6" />
      <path
        d="M16 18h32a4 4 0 0 1 4 4v16a4 4 0 0 1-4 4H30l-9 8v-8h-5a4 4 0 0 1-4-4V22a4 4 0 0 1 4-4z"
        fill="#fff"
      />
      <circle cx="24" cy="30" r="3" fill="#2456d6" />
      <circle cx="32" cy="30" r="3" fill="#2456d6" />
      <circle cx="40" cy="30" r="3" fill="#2456d6" />
    </svg>
  );
}
