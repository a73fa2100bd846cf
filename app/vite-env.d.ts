// Module kinds Vite resolves at build time: `?url` imports give the emitted file's URL.
declare module "*?url" {
  const url: string;
  export default url;
}
declare module "*.css";
