/**
 * The fields both editors (posts, wiki pages) show alike: the title with its length meter, and the
 * Markdown text beside its live preview, rendered by the server's own renderer so that what you see
 * is what will be stored.
 */
import {
  type ClipboardEvent,
  type DragEvent,
  type ReactNode,
  useDeferredValue,
  useMemo,
  useRef,
} from 'react';
import { renderMarkdown } from '../../../functions/domain/content/markdown';
import { SendingList, useUploads } from './Attachments';
import { FieldError, type FieldErrors, LengthMeter } from './FormErrors';
import { useMentions } from './Mentions';
import { ServerHtml } from './ServerHtml';

export function TitleField({
  id,
  value,
  limit,
  errors,
  onChange,
}: {
  /** The form's id prefix (useId). */
  id: string;
  value: string;
  limit: number;
  errors: FieldErrors;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={`${id}-title`}>Title</label>
      <input
        id={`${id}-title`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-required="true"
        {...errors.describe('title', value.length >= limit * 0.9 && `${id}-title-size`)}
      />
      <LengthMeter id={`${id}-title-size`} value={value} limit={limit} />
      <FieldError errors={errors} field="title" id={`${id}-title`} />
    </div>
  );
}

export function MarkdownBodyField({
  id,
  label,
  value,
  limit,
  errors,
  onChange,
  hint,
  pageLinksIn,
  mentionsIn,
  attachTo,
}: {
  id: string;
  label: string;
  value: string;
  limit: number;
  errors: FieldErrors;
  onChange: (value: string) => void;
  /** What may be written, under the text field. */
  hint: ReactNode;
  /** The space whose pages `[[title]]` links to (wiki pages). */
  pageLinksIn?: string;
  /** The space whose readers `@` offers to mention. */
  mentionsIn?: string;
  /** The page or post files pasted or dropped into the text are attached to (once it exists). */
  attachTo?: string;
}) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  // The mention list and file pastes both need the textarea (its caret): one ref, shared.
  const mentions = useMentions(mentionsIn, value, onChange, textarea);
  const latest = useRef(value);
  latest.current = value;
  // A pasted or dropped file is uploaded, attached, and its Markdown inserted where the cursor is.
  const { sending, send } = useUploads(attachTo ?? '', (attachment) => {
    const area = textarea.current;
    const at = area ? area.selectionStart : latest.current.length;
    const text = latest.current;
    const insert = `${at > 0 && !text.slice(0, at).endsWith('\n') ? '\n' : ''}${attachment.markdown}\n`;
    onChange(text.slice(0, at) + insert + text.slice(at));
  });
  const takeFiles = (files: FileList | undefined, event: ClipboardEvent | DragEvent) => {
    if (!attachTo || !files?.length) return;
    event.preventDefault();
    void send([...files]);
  };
  const previewSource = useDeferredValue(value);
  const previewHtml = useMemo(
    () => renderMarkdown(previewSource, { pageLinksIn }),
    [previewSource, pageLinksIn],
  );
  return (
    <div className="editor-panes">
      <div className="field">
        <label htmlFor={`${id}-body`}>{label}</label>
        <textarea
          id={`${id}-body`}
          className="editor-body"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onPaste={(e) => takeFiles(e.clipboardData?.files, e)}
          onDrop={(e) => takeFiles(e.dataTransfer?.files, e)}
          {...errors.describe('body', `${id}-hint`, `${id}-body-size`)}
          {...mentions.props}
        />
        {mentions.popup}
        <SendingList sending={sending} />
        <LengthMeter id={`${id}-body-size`} value={value} limit={limit} always />
        <p id={`${id}-hint`} className="muted small">
          {hint}
          {attachTo ? ' Paste or drop an image or file into the text to attach it.' : ''}
        </p>
        <FieldError errors={errors} field="body" id={`${id}-body`} />
      </div>
      <section className="field preview" aria-labelledby={`${id}-preview`}>
        <h2 id={`${id}-preview`} className="label">
          Preview
        </h2>
        {value.trim() ? (
          <ServerHtml className="prose preview-body" testId="preview" html={previewHtml} />
        ) : (
          <p className="muted">Nothing to preview yet.</p>
        )}
      </section>
    </div>
  );
}
