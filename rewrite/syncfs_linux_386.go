package rewrite

// sysSyncfs is syncfs(2)'s number, which package syscall lacks here.
const sysSyncfs = 344
