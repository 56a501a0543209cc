import './style.css';

export const metadata = { title: 'ivschat-wasm with Next.js' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
