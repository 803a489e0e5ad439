/** A whole page that could not be shown, and why. */
export function PageError(props: { title: string; message: string; testId?: string }) {
  return (
    <div class="page-error" role="alert" data-testid={props.testId ?? 'page-error'}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
    </div>
  );
}
