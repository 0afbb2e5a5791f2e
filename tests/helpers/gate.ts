/**
 * A promise the test settles by hand (`open`): a transaction held open while another runs, or a database
 * or a step that stops answering.
 */
export function createGate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
