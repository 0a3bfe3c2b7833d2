/** Download a profile as a vCard: fetched with the bearer token, then handed to the browser as a file. */
import { useState } from 'react';
import { enc, getText } from '../../api/client';

export function VCardButton({ userId, handle, name }: { userId: string; handle: string; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const card = await getText(`/people/${enc(userId)}/vcard`);
      const url = URL.createObjectURL(new Blob([card], { type: 'text/vcard' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${handle || 'contact'}.vcf`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy}>
        Download vCard<span className="visually-hidden"> of {name}</span>
      </button>
      {error && (
        <span role="alert" className="error-text small">
          {error}
        </span>
      )}
    </>
  );
}
