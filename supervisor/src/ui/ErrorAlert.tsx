/** A refusal or failure in words, announced at once (role="alert"); nothing when there is none. */
export function ErrorAlert({ message }: { message: string | null }) {
  if (message === null || message === '') return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}
