/** @type {import('next').NextConfig} */
const nextConfig = {
  // This example sits inside another project's repository: this folder is the app's root.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;
