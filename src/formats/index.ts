// Data file formats from strings and bytes, for every runtime (no Node import).
export { parseDelimited, type ParseDelimitedOptions } from "./parse-delimited.js";
export { DelimitedReader, type DelimitedReaderOptions, type TableTypingOptions } from "./delimited-reader.js";
export { chooseDelimiter, type Delimiter, type DelimiterChoice } from "./sniff-delimiter.js";
export { parseJsonTable } from "./parse-json.js";
export { parseParquet, readChunksInThread, DecodeLimitError, type ParquetChunk, type ParquetChunkReader } from "./parse-parquet.js";
export { readTableBytes, type ReadTableBytesOptions } from "./read-table-bytes.js";
export { decodeText } from "./decode-text.js";
export { formatFromPath, formatFromName, sniffFormat, isTableFormat, TABLE_FORMATS, type TableFormat } from "./table-format.js";
